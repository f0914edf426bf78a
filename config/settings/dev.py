"""Settings for `make run`: the embedded default on this machine."""

from .base import *  # noqa: F403

DEBUG = True
