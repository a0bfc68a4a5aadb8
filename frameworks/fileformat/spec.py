"""What every part of the file format shares: its name, the readiness defaults, the error, the text rule."""

FORMAT = "pathway-framework/1"
READINESS_DEFAULTS = {"target_share": 80, "max_steps_below": 1, "current_level_met": True}
CRITERIA = "criteria"  # `scale: criteria`: each level's expectation is its criteria, rated not yet/meets/exceeds
MAX_EXAMPLES = 20
MAX_EXAMPLE_LENGTH = 300


def readiness_defaults(scale_kind: str) -> dict:
    """A criteria framework rates against the target level's criteria only, so its current level is not checked."""
    if scale_kind == CRITERIA:
        return {**READINESS_DEFAULTS, "current_level_met": False}
    return dict(READINESS_DEFAULTS)


class FrameworkFileError(Exception):
    """A framework file that cannot be imported; `errors` lists every problem as "path: message"."""

    def __init__(self, errors):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


def clean_text(value):
    """Text as stored and compared: Unix line endings, no surrounding blank space."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
