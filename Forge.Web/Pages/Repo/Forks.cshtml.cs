using Forge.Web.Data;
using Forge.Web.Forks;
using Forge.Web.Repos;

namespace Forge.Web.Pages.Repo;

/// <summary>The forks of a repository the viewer may read (the others are neither listed nor counted).</summary>
public sealed class ForksModel(ForkService forks) : RepoPageModel
{
    public IReadOnlyList<RepositoryEntity> Forks { get; private set; } = [];

    public async Task OnGetAsync() => Forks = await forks.ListReadableForksAsync(Repo.Repository, Repo.Viewer, HttpContext.RequestAborted);
}
