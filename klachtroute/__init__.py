"""Klachtroute: complaint handling for training institutes."""
