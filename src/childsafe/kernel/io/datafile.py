"""The one base of the models that read reviewed data files (the framework, groupings,
universes, the coalition, indicator definitions, jurisdictions): frozen once read, and a key
the model does not know is an error rather than silently dropped."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class DataFileModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
