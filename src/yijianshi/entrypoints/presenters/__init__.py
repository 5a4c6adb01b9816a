"""How entry points show a plan and an import: JSON, tables, Mermaid, BPMN and the dependency
graph's layout. Pure functions of domain objects; no use case lives here."""
