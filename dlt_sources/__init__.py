"""dlt sources for the social platforms: twitter (X v2), meta (Instagram + Facebook), linkedin."""
