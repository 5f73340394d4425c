"""The run store's tables: their migrations, and the statements that keep each run's figures.

PRAGMA user_version holds the version a file has; each entry of MIGRATIONS takes
the schema from version i to i + 1. Never edit an entry once released: add one.
"""

from __future__ import annotations

# A run's figures computed again from its epochs, for every run (`runs.id` is each row's own id).
# With a single min() or max(), SQLite takes the other columns from the row that holds it: for
# ties the first in the (run_id, epoch) index's order, the earliest epoch. Part of migration 2:
# never edit, add a migration.
REFIGURE = (
    "UPDATE runs SET (epoch_count, tokens_per_s_sum, last_epoch, last_perplexity, last_val_perplexity) = "
    "(SELECT COUNT(*), TOTAL(tokens_per_s), MAX(epoch), perplexity, val_perplexity FROM epochs "
    "WHERE run_id = runs.id)",
    "UPDATE runs SET (best_val_perplexity, best_val_epoch) = (SELECT MIN(val_perplexity), epoch FROM epochs "
    "WHERE run_id = runs.id AND val_perplexity IS NOT NULL)",
    "UPDATE runs SET (best_perplexity, best_epoch) = (SELECT MIN(perplexity), epoch FROM epochs "
    "WHERE run_id = runs.id)",
)
# One epoch more, in order: the figures follow without reading the run's other epochs. Every
# expression reads the row as it was, so each best's epoch is tested against the old best too.
ADD_TO_FIGURES = """
    UPDATE runs SET
        epoch_count = epoch_count + 1,
        tokens_per_s_sum = tokens_per_s_sum + :speed,
        last_epoch = :epoch, last_perplexity = :ppl, last_val_perplexity = :val,
        best_val_epoch = CASE WHEN :val < best_val_perplexity OR (best_val_perplexity IS NULL AND :val IS NOT NULL)
                         THEN :epoch ELSE best_val_epoch END,
        best_val_perplexity = CASE WHEN :val < best_val_perplexity OR best_val_perplexity IS NULL
                              THEN COALESCE(:val, best_val_perplexity) ELSE best_val_perplexity END,
        best_epoch = CASE WHEN :ppl < best_perplexity OR best_perplexity IS NULL THEN :epoch ELSE best_epoch END,
        best_perplexity = CASE WHEN :ppl < best_perplexity OR best_perplexity IS NULL THEN :ppl ELSE best_perplexity END
    WHERE id = :run
"""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        started REAL NOT NULL,
        ended REAL,
        pid INTEGER,
        host TEXT,
        corpus_name TEXT,
        corpus_path TEXT,
        corpus_sha1 TEXT,
        device TEXT,
        torch_version TEXT,
        app_version TEXT,
        settings TEXT NOT NULL,
        start_epoch INTEGER NOT NULL DEFAULT 0,
        sample TEXT,
        checkpoint TEXT,
        error TEXT
    );
    CREATE TABLE epochs (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        perplexity REAL NOT NULL,
        val_perplexity REAL,
        tokens_per_s REAL NOT NULL,
        grad_norm REAL,
        elapsed_s REAL,
        PRIMARY KEY (run_id, epoch)
    );
    CREATE INDEX runs_status ON runs(status);
    """,
    # 2: what each run's epochs add up to, kept in its row as the epochs come, so that listing
    # 1,000 runs reads 1,000 rows instead of 500,000 epochs (RunStore.list); old runs are filled here.
    """
    ALTER TABLE runs ADD COLUMN epoch_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN tokens_per_s_sum REAL NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN last_epoch INTEGER;
    ALTER TABLE runs ADD COLUMN last_perplexity REAL;
    ALTER TABLE runs ADD COLUMN last_val_perplexity REAL;
    ALTER TABLE runs ADD COLUMN best_val_perplexity REAL;
    ALTER TABLE runs ADD COLUMN best_val_epoch INTEGER;
    ALTER TABLE runs ADD COLUMN best_perplexity REAL;
    ALTER TABLE runs ADD COLUMN best_epoch INTEGER;
    """
    + ";\n".join(REFIGURE),
    # 3: a run the user pinned keeps its model whatever the kept models' budget (kept_models.prune).
    """
    ALTER TABLE runs ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

# The runs table's columns as `summarize` takes them, in its order.
RUN_FIELDS = ("id", "name", "status", "started", "ended", "corpus_name", "corpus_path", "corpus_sha1", "device")
RUN_FIELDS += ("torch_version", "app_version", "settings", "start_epoch", "sample", "checkpoint", "error", "pinned")
RUN_COLUMNS = ", ".join(RUN_FIELDS)
RUN_COLUMN_COUNT = len(RUN_FIELDS)
# And the figures, in EpochFigures' order (the mean speed is the sum over the count).
FIGURE_COLUMNS = "epoch_count, tokens_per_s_sum, last_epoch, last_perplexity, last_val_perplexity, "
FIGURE_COLUMNS += "best_val_perplexity, best_val_epoch, best_perplexity, best_epoch"
