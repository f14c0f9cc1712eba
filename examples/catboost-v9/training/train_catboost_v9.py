"""Training entry point. Stops before training when the window was already trained."""
import subprocess
import sys

def check_duplicate(start: str, end: str) -> None:
    # modelgov exits 1 when a model with this window exists, 2 when it could not check.
    rc = subprocess.call(["npx", "--no-install", "modelgov", "check-duplicate",
                          "--train-start", start, "--train-end", end, "--system", "catboost_v9"])
    if rc != 0:
        sys.exit(rc)
