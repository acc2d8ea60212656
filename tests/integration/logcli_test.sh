#!/usr/bin/env bash
# logcli 2.9-style paging, labels and series calls against the conformance dataset.
set -euo pipefail
exec python3 "$(dirname "$0")/logcli.py"
