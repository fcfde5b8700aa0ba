using Microsoft.AspNetCore.Mvc.Filters;

namespace Forge.Web;

/// <summary>
/// Puts the validation messages of every page in the visitor's language. Services say their errors in French, the
/// source language, and the API keeps them so; a page shown in another language passes each message through the
/// resources (<see cref="SharedResource.T"/>) once its handler has run. A message with no translation stays French.
/// </summary>
public sealed class LocalizedModelErrors : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (SharedResource.Language == "fr") return;
        var state = executed.ModelState;
        if (state.ErrorCount == 0) return;
        foreach (var (_, entry) in state)
        {
            // Replaced in place: the dictionary's error count stays right.
            for (var i = 0; i < entry.Errors.Count; i++)
            {
                var error = entry.Errors[i];
                var translated = SharedResource.T(error.ErrorMessage);
                if (translated != error.ErrorMessage)
                    entry.Errors[i] = new Microsoft.AspNetCore.Mvc.ModelBinding.ModelError(translated);
            }
        }
    }
}
