using Forge.Core.Naming;
using Xunit;

namespace Forge.Tests.Core;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("nsi-terminale")]
    [InlineData("SNT_2nde")]
    [InlineData("cours.v2")]
    [InlineData("_brouillon")]
    public void Ordinary_repository_names_are_accepted(string name) => Assert.Null(NameRules.ValidateRepositoryName(name));

    [Theory]
    [InlineData("api")] [InlineData("Admin")] [InlineData("search")] [InlineData("..")] [InlineData("a..b")] [InlineData("a/b")]
    [InlineData("-rf")] [InlineData(".git")] [InlineData("x.git")] [InlineData("élève")] [InlineData("a b")] [InlineData("")]
    public void Dangerous_or_reserved_repository_names_are_refused(string name) => Assert.NotNull(NameRules.ValidateRepositoryName(name));

    [Theory]
    [InlineData("alice", true)] [InlineData("jean-luc", true)] [InlineData("j_l2", true)]
    [InlineData("-alice", false)] [InlineData("alice-", false)] [InlineData("search", false)] [InlineData("al.ice", false)] [InlineData("élodie", false)] [InlineData("programmes", false)]
    public void User_names_follow_the_url_rules(string name, bool valid) => Assert.Equal(valid, NameRules.ValidateUserName(name) is null);
}
