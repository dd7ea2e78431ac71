"""``python -m platform_sandbox [OPTIONS]``: the same as ``socialpulse sandbox serve``."""

from platform_sandbox.cli import serve_cmd

if __name__ == "__main__":
    serve_cmd(prog_name="python -m platform_sandbox")
