using System.Net;
using Forge.Tests.Support;

namespace Forge.Tests.Identity;

/// <summary>What the account tests do often, as a person would in a browser (forms posted with their CSRF token).</summary>
public static class AccountsSupport
{
    public static Task<HttpResponseMessage> RegisterAsync(this WebSession web, string name, string email, string password, string? confirm = null) =>
        web.PostFormAsync("/user/sign_up", "/user/sign_up", new Dictionary<string, string>
        {
            ["Input.UserName"] = name, ["Input.Email"] = email, ["Input.Password"] = password, ["Input.ConfirmPassword"] = confirm ?? password,
        });

    public static Task<HttpResponseMessage> LoginAsync(this WebSession web, string name, string password) =>
        web.PostFormAsync("/user/login", "/user/login", new Dictionary<string, string> { ["Input.UserName"] = name, ["Input.Password"] = password });

    /// <summary>True when the session's cookie still opens a signed-in page.</summary>
    public static async Task<bool> IsSignedInAsync(this WebSession web)
    {
        var response = await web.Http.GetAsync("/user/settings/security");
        return response.StatusCode == HttpStatusCode.OK;
    }

    public static string Text(string html) => WebUtility.HtmlDecode(html);
}
