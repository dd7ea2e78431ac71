-- share of voice sums to 1 over the comparable members of every competitive set and period
-- that has one (not_available members and sets of one have no share at all)
select
    workspace_id,
    platform,
    period_grain,
    period_start,
    sum(share_of_voice) as total_share
from {{ ref('competitor_benchmark') }}
group by workspace_id, platform, period_grain, period_start
having count(share_of_voice) > 0 and abs(sum(share_of_voice) - 1) > 1e-9
