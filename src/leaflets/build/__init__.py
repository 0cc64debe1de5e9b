"""A catalog and build options in, files and a manifest out: the formats table, planning,
executors, progress, the print station.
"""
