"""`python -m optimizer` runs the posture command."""

from optimizer.cli import main

main()
