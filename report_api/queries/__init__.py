"""Every SQL statement of the API, one module per resource: parameterised, against marts.*
(reads) and app.* only.

Ids (``account_id``, ``workspace_id``, ``agency_id``) are bigint in the marts and in app.*
alike. Tenancy is a ``workspace_id = any(%(ws)s::bigint[])`` predicate on every statement that
touches tenant data. Figures come summed from the marts; none is re-derived from posts here.
"""
