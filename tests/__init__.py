"""The posture test suite."""
