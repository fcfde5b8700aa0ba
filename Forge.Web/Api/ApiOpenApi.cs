using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Forge.Web.Api;

/// <summary>
/// The OpenAPI description of <c>/api/v1</c> (<c>/api/v1/openapi.json</c>): how to authenticate, operation ids, and
/// property names as they are on the wire. Every body of the API, requests and responses, goes through
/// <see cref="ApiModels.Json"/> (snake_case), whereas the schema generator follows the site-wide JSON options
/// (camelCase): the schemas are renamed here so that they say what is really sent.
/// </summary>
public static class ApiOpenApi
{
    public static void DescribeForgeApi(this OpenApiOptions o)
    {
        o.AddSchemaTransformer((schema, context, _) =>
        {
            // A request body's fields are all optional (records' constructor parameters would otherwise be listed as required).
            if (context.JsonTypeInfo.Type.Name.EndsWith("Option") || context.JsonTypeInfo.Type.Name.EndsWith("Options")) schema.Required = null;
            if (schema.Properties is { Count: > 0 } properties)
            {
                foreach (var (name, value) in properties.ToList())
                {
                    var wire = JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
                    if (wire == name) continue;
                    properties.Remove(name);
                    properties[wire] = value;
                }
                if (schema.Required is { Count: > 0 } required)
                    schema.Required = new HashSet<string>(required.Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));
            }
            return Task.CompletedTask;
        });
        o.AddOperationTransformer(async (operation, context, ct) =>
        {
            // Without an explicit name (WithName), the operation is named after its handler: GetRepository → getRepository.
            if (string.IsNullOrEmpty(operation.OperationId)
                && context.Description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault() is { } method
                && !method.Name.Contains('<'))
                operation.OperationId = JsonNamingPolicy.CamelCase.ConvertName(method.Name);
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<OrListMarker>().Any()
                && operation.Responses is { } responses && responses.TryGetValue("200", out var ok)
                && ok.Content is { } content && content.TryGetValue("application/json", out var json) && json.Schema is { } one)
                json.Schema = new OpenApiSchema { OneOf = [one, new OpenApiSchema { Type = JsonSchemaType.Array, Items = one }] };
            // A body the handler reads itself (documented here, not with Accepts: that would also filter requests by Content-Type).
            if (operation.RequestBody is null && context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyDoc>().FirstOrDefault() is { } body)
                operation.RequestBody = new OpenApiRequestBody
                {
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, ct) },
                    },
                };
        });
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new()
            {
                Title = "Forge API v1",
                Version = "1",
                Description = "Gitea API v1 paths and shapes where Gitea has the operation; Forge's own otherwise. "
                    + "Errors are JSON `{\"message\": \"…\", \"url\": \"…\"}` (the message in French). "
                    + "Anonymous callers read what is public; send credentials in the Authorization header (cookies are not accepted).",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                ["token"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "Authorization",
                    Description = "As Gitea: `Authorization: token <personal access token>` (Paramètres › Jetons d’accès).",
                },
                ["basic"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "basic",
                    Description = "User name with a personal access token, or with the password (refused for accounts with two-step verification).",
                },
                ["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer",
                    Description = "A personal access token, or an access token issued by Forge's OpenID Connect server. "
                        + "Tokens limited to `repo:read` or `repo:write` may only read through the API (403 otherwise); `api` may act.",
                },
                ["openid"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OpenIdConnect, OpenIdConnectUrl = new Uri("/.well-known/openid-configuration", UriKind.Relative),
                    Description = "Forge's OpenID Connect server (scopes `repo:read`, `repo:write`, `api`); send the access token as `Bearer`.",
                },
            };
            // Any one of them, or none: anonymous callers are served what is public.
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("token", document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("basic", document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("openid", document)] = ["api"] },
                new OpenApiSecurityRequirement(),
            ];
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// The errors every endpoint of the group may answer, in <see cref="ApiError"/>'s shape: 401 for a wrong
    /// Authorization header, 403 for a read-only token on a method that writes, 404 for a repository or user that does
    /// not exist or that the caller may not see.
    /// </summary>
    public static RouteGroupBuilder WithCommonErrors(this RouteGroupBuilder group)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            var route = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? "";
            var statuses = new List<int> { StatusCodes.Status401Unauthorized };
            if (endpoint.Metadata.OfType<IHttpMethodMetadata>().FirstOrDefault()?.HttpMethods is { } methods && methods.Any(m => m is not ("GET" or "HEAD")))
                statuses.Add(StatusCodes.Status403Forbidden);
            if (route.Contains('{'))
                statuses.Add(StatusCodes.Status404NotFound);
            foreach (var status in statuses)
                if (!endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(p => p.StatusCode == status))
                    endpoint.Metadata.Add(new ErrorResponse(status));
        });
        return group;
    }

    /// <summary>Declares the error statuses a handler answers (besides the common ones), as <see cref="ApiError"/>.</summary>
    public static TBuilder Errors<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            foreach (var status in statuses) endpoint.Metadata.Add(new ErrorResponse(status));
        });
        return builder;
    }

    /// <summary>A binary or text response: its content type, no JSON schema.</summary>
    public static TBuilder ProducesContent<TBuilder>(this TBuilder builder, params string[] contentTypes) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(new ContentResponse(StatusCodes.Status200OK, contentTypes)));
        return builder;
    }

    /// <summary>The 200 response is the declared type or an array of it (a file, or a folder's entries).</summary>
    public static TBuilder OrListOf<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(new OrListMarker()));
        return builder;
    }

    private sealed class OrListMarker;

    /// <summary>Documents the JSON body a handler reads with <c>BodyAsync</c>, without changing which requests reach it.</summary>
    public static TBuilder RequestBody<TBuilder>(this TBuilder builder, Type type) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(new RequestBodyDoc(type)));
        return builder;
    }

    private sealed record RequestBodyDoc(Type Type);

    private sealed class ErrorResponse(int status) : IProducesResponseTypeMetadata
    {
        public Type? Type => typeof(ApiError);
        public int StatusCode => status;
        public string? Description => null;
        public IEnumerable<string> ContentTypes => ["application/json"];
    }

    private sealed class ContentResponse(int status, string[] contentTypes) : IProducesResponseTypeMetadata
    {
        public Type? Type => typeof(Stream);
        public int StatusCode => status;
        public string? Description => null;
        public IEnumerable<string> ContentTypes => contentTypes;
    }
}

/// <summary>Gitea's error shape: the message (French) and the address of the API description.</summary>
public sealed record ApiError(string Message, string Url);
