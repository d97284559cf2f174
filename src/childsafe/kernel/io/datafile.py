"""The one base of the models that read reviewed data files (the framework, groupings,
universes, the coalition, indicator definitions, jurisdictions): frozen once read, and a key
the model does not know is an error rather than silently dropped; and the reading of such a
file into its model."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from childsafe.kernel.errors import FrameworkError


class DataFileModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_M = TypeVar("_M", bound=DataFileModel)


def load_data_file(path: Path, model: type[_M], what: str) -> _M:
    """``model`` from a YAML file; one that cannot be opened, parsed or validated is a
    ``FrameworkError`` naming the file and ``what`` it holds."""
    try:
        with path.open(encoding="utf-8") as handle:
            return model.model_validate(yaml.safe_load(handle))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise FrameworkError(f"{path}: cannot load {what}: {exc}", file=str(path)) from exc
