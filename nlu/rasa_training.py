"""Training the Rasa NLU model, skipped when nothing that decides the model has changed.

Apart from the environment (nlu.rasa_env) and the server (nlu.rasa_server) because it has
inputs of its own: the pipeline config, the domain, the training data and the component
code, hashed into the model's name so an unchanged model is reused and old ones pruned.
Driven by `griddesk nlu train --backend rasa`, the cross-validation fold (nlu.crossval_rasa)
and bench/nlu.py.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import yaml

from nlu.rasa_env import (
    NLU_DIR,
    REQUIREMENTS,
    Progress,
    ensure_rasa_env,
    exclusive_lock,
    rasa_subprocess_env,
    resolve_cache_root,
    run_logged,
    say_progress,
)
from nlu.training_data import BASE_DOMAIN, rasa_domain

CONFIG = NLU_DIR / "config.yml"
DATA_DIR = NLU_DIR / "data"
DEFAULT_MODEL_DIR = NLU_DIR / "models"
# Code the Rasa pipeline runs (config.yml names the component): a change retrains.
COMPONENT_SOURCES = (NLU_DIR / "rasa" / "griddesk_components.py", NLU_DIR / "embedded.py")
MODELS_KEPT = 3


def training_data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*") if p.is_file() and p.suffix in {".yml", ".yaml"})


def training_digest(data_dir: Path = DATA_DIR, config: Path = CONFIG) -> str:
    """Hash of what decides the model: config, domain, data and the pinned Rasa version."""
    digest = hashlib.sha256()
    inputs = [config, BASE_DOMAIN, REQUIREMENTS, *COMPONENT_SOURCES]
    for path in [*inputs, *training_data_files(data_dir)]:
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def train_rasa_model(
    out_dir: Path = DEFAULT_MODEL_DIR,
    progress: Progress | None = print,
    cache_root: Path | None = None,
    *,
    data_dir: Path = DATA_DIR,
    config: Path = CONFIG,
) -> Path:
    """Train the NLU model into out_dir as nlu-<digest>.tar.gz, reusing one on the same inputs.

    `data_dir` and `config` default to the shipped ones; cross-validation passes a fold's
    training part and a candidate pipeline.
    """
    out_dir = out_dir.resolve()
    model = out_dir / f"nlu-{training_digest(data_dir, config)}.tar.gz"
    if model.is_file():
        say_progress(progress, f"Model up to date: {model}")
        return model
    env_dir = ensure_rasa_env(progress, cache_root)
    root = resolve_cache_root(cache_root)
    with exclusive_lock(out_dir / f".{model.name}.lock"):
        if model.is_file():  # trained by another process while we waited
            say_progress(progress, f"Model up to date: {model}")
            return model
        # Rasa cuts the name at the first dot, so the unfinished model has none.
        partial = model.name.removesuffix(".tar.gz") + "-partial"
        log_path = root / "logs" / f"rasa-train-{model.name.removesuffix('.tar.gz')}.log"
        env = rasa_subprocess_env()
        # Rasa's training cache (hundreds of MB) saves nothing here: our digest already skips
        # unchanged inputs, and changed data retrains every component anyway.
        env["RASA_MAX_CACHE_SIZE"] = "0"
        env["RASA_CACHE_DIRECTORY"] = str(root / "rasa-train-cache")
        # The domain's intents and FAQ responses come from the data's labels (rasa_domain).
        domain = out_dir / f"{partial}-domain.yml"
        domain.write_text(yaml.safe_dump(rasa_domain(data_dir), allow_unicode=True), "utf-8")
        cmd = [
            str(env_dir / "bin" / "rasa"), "train", "nlu",
            "--config", str(config), "--domain", str(domain), "--nlu", str(data_dir),
            "--out", str(out_dir), "--fixed-model-name", partial,
        ]  # fmt: skip
        files = len(training_data_files(data_dir))
        say_progress(progress, f"Training Rasa NLU on {files} data files; log: {log_path}")
        started = time.monotonic()
        log_path.unlink(missing_ok=True)
        run_logged(cmd, log_path, env, cwd=root)
        (out_dir / f"{partial}.tar.gz").replace(model)
        domain.unlink(missing_ok=True)
        _prune_models(out_dir, keep=model)
    size_mb = model.stat().st_size / 1e6
    say_progress(
        progress, f"Trained in {time.monotonic() - started:.0f} s: {model} ({size_mb:.0f} MB)"
    )
    return model


def _prune_models(out_dir: Path, keep: Path) -> None:
    """Keep the newest few models; old ones are 100+ MB each and never loaded again."""
    models = sorted(out_dir.glob("nlu-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in models if p != keep][MODELS_KEPT - 1 :]:
        old.unlink(missing_ok=True)
        (out_dir / f".{old.name}.lock").unlink(missing_ok=True)
