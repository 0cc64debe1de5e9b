"""A leaflet at a level in, the reader's text out (every string a reader sees, located), and
what is measured and checked on it: sentences, readability, numbers, wording rules;
`check.check_leaflet` is the one check pipeline.
"""
