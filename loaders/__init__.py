"""dlt loaders: each source lands its system's raw tables in raw_<source> on the target."""

from loaders.batch import batch_source
from loaders.itsm import itsm_source

SOURCES = {"batch": batch_source, "itsm": itsm_source}
