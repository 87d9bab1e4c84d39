"""dlt loaders: each source lands its system's raw tables in raw_<source> on the target."""

from loaders.appdb import appdb_source
from loaders.batch import batch_source
from loaders.ga4 import ga4_source
from loaders.itsm import itsm_source
from loaders.looker import looker_source
from loaders.prometheus import prometheus_source

SOURCES = {
    "batch": batch_source,
    "itsm": itsm_source,
    "ga4": ga4_source,
    "prometheus": prometheus_source,
    "appdb": appdb_source,
    "looker": looker_source,
}
