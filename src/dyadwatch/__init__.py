"""dyadwatch: evidence-linked events, figures and forecasts of a relationship between two countries."""

import os

# The event coder multiplies small matrices with numpy, where OpenBLAS's thread pool only costs (ingest ran 3x
# slower on a busy two-core machine), and worker processes already run side by side. Set before numpy loads;
# a value set in the environment wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
