"""Route planning core: travel matrices and the weekly/daily visit planners."""
