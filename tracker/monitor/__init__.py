"""One policy's check (the pipeline) and, later, the scheduler that runs checks."""

from tracker.monitor.pipeline import CheckProgress, CheckResult, check_policy

__all__ = ["CheckProgress", "CheckResult", "check_policy"]
