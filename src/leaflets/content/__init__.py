"""Content YAML in, a validated `Catalog` out: safe reading with positions, the typed model,
loading with cross-reference checks, the JSON Schema.
"""
