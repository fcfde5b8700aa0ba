using Forge.Git;

namespace Forge.Web.Pages.Repo;

public sealed class TagsModel(GitReader reader) : Forge.Web.Repos.RepoPageModel
{
    public IReadOnlyList<TagInfo> Tags { get; private set; } = [];

    public void OnGet() => Tags = reader.TagList(Repo.GitPath);
}
