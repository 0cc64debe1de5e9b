"""Built PDF bytes in, problems out: the PDF/UA contract, printed sizes, accessibility rules,
contrast, pagination.
"""
