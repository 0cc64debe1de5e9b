"""A level context in, HTML and PDF bytes out: the sandboxed Jinja environment, the confined
fetcher, WeasyPrint, booklet imposition.
"""
