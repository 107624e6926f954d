"""Geometry: boundary layers, division seats, geolocation and spatial joins."""
