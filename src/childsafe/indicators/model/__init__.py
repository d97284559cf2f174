"""The indicators' pure domain: definitions, values, the derived formula, name matching and
class breaks. No HTTP, no SQL."""
