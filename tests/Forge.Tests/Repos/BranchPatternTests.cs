using Forge.Web.Repos;
using Xunit;

namespace Forge.Tests.Repos;

public sealed class BranchPatternTests
{
    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "main2", false)]
    [InlineData("main", "Main", false)]
    [InlineData("release/*", "release/2026", true)]
    [InlineData("release/*", "release/2026/hotfix", false)]
    [InlineData("release/**", "release/2026/hotfix", true)]
    [InlineData("release/*", "release", false)]
    [InlineData("v?.x", "v1.x", true)]
    [InlineData("v?.x", "v1/x", false)]
    [InlineData("a.b", "axb", false)] // dots are literal, not regex wildcards
    [InlineData("*", "feature/x", false)]
    [InlineData("**", "feature/x", true)]
    public void Patterns_match_like_globs_over_branch_paths(string pattern, string branch, bool expected) =>
        Assert.Equal(expected, BranchPattern.IsMatch(pattern, branch));

    [Theory]
    [InlineData("")]
    [InlineData("ma branche")]
    [InlineData("-main")]
    [InlineData("a..b")]
    [InlineData("/main")]
    [InlineData("main/")]
    [InlineData("a[0-9]")]
    [InlineData("HEAD@{1}:x")]
    public void Patterns_that_can_name_no_branch_are_refused_in_french(string pattern) =>
        Assert.NotNull(BranchPattern.Validate(pattern));

    [Theory]
    [InlineData("main")]
    [InlineData("release/*")]
    [InlineData("cours/**")]
    public void Usual_patterns_are_accepted(string pattern) => Assert.Null(BranchPattern.Validate(pattern));
}
