using Forge.Git;

namespace Forge.Web.Pages.Repo;

public sealed class BranchesModel(GitReader reader) : Forge.Web.Repos.RepoPageModel
{
    public IReadOnlyList<BranchInfo> Branches { get; private set; } = [];

    public void OnGet() => Branches = reader.BranchList(Repo.GitPath);
}
