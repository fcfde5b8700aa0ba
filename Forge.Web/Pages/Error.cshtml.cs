using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Heading { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int? code) => Describe(code);
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        var status = code ?? 500;
        // Reached directly (not re-executed), the page must not answer 200 for an error.
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null) Response.StatusCode = status;
        (Heading, Explanation) = status switch
        {
            404 => ("Page introuvable", "Cette page n’existe pas, ou vous n’avez pas le droit de la voir. Si c’est un dépôt privé, connectez-vous avec un compte qui y a accès."),
            400 => ("Requête invalide", "La requête n’a pas pu être comprise."),
            403 => ("Accès refusé", "Vous n’avez pas le droit de faire cela."),
            _ => ("Erreur du serveur", "Une erreur inattendue s’est produite. Réessayez dans un instant ; si elle persiste, prévenez l’administrateur."),
        };
    }
}
