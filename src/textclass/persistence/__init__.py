"""The run directory: one folder per trained model, no pickle.

- :mod:`.run_directory`: the layout (which file holds what) and the readers and
  writers for each part; nothing else writes into a run directory by file name.
- :mod:`.format_v1`: the config of a run directory of textclass 0.1, read as format 2.

Saving a fitted classifier's parts and reading them back (``format_version`` 2) is
:mod:`textclass.artifact`'s, one layer up: it finds the parts among the families.
- :mod:`.files`: JSON and ``.npz`` helpers with errors that name the file.
"""

from textclass.persistence.files import load_npz, read_json, write_json
from textclass.persistence.run_directory import RunDirectory

__all__ = ["RunDirectory", "load_npz", "read_json", "write_json"]
