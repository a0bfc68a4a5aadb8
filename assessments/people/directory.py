"""Levels from directory data (issue 13 part 3): HR's rules place people without a level."""


def place_from_directory(person):
    """Give `person` the level of the first of HR's rules that matches their directory attributes."""
