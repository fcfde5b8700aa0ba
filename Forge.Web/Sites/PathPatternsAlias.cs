// PathPatterns moved to Forge.Core (the search indexer in Forge.Jobs needs it too); the web keeps its short name.
global using PathPatterns = Forge.Core.Resources.PathPatterns;
