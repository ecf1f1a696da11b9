"""The package's exception for a conversion the converter refused or could not finish."""


class ConversionError(Exception):
    """A usage error or a run that could not start, with the command line's one-line message (``str(e)``).

    ``exit_code`` is the converter's exit code (1 for usage and fatal errors, see docs/cli.md), ``stderr`` all it
    printed on its error stream.
    """

    def __init__(self, message, exit_code=1, stderr=""):
        super().__init__(message)
        self.exit_code = exit_code
        self.stderr = stderr
