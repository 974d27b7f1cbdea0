using Control.Domain.Common;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Infrastructure;

/// <summary>RFC 9457 problem details for validation failures and domain refusals.</summary>
public static class Problems
{
    /// <summary>The validator's field errors as RFC 9457 validation problem details, keyed by camelCase field name.</summary>
    public static ProblemDetails Invalid(IEnumerable<ValidationFailure> failures) =>
        new ValidationProblemDetails(failures
            .GroupBy(e => ToCamelCase(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Type = "https://control.invalid/problems/validation",
        };

    /// <summary>A 400 with one field error, shaped like the validator's.</summary>
    public static ProblemDetails Field(string field, string message) => Invalid([new ValidationFailure(field, message)]);

    public static ProblemDetails BadRequest(string detail) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is not valid.",
        Detail = detail,
        Type = "https://control.invalid/problems/validation",
    };

    public static ProblemDetails NotFound(string what) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Not found.",
        Detail = $"No {what} with that identifier exists in your organization.",
        Type = "https://control.invalid/problems/not-found",
    };

    public static ProblemDetails From(Refusal refusal)
    {
        var status = refusal.Kind switch
        {
            RefusalKind.Invalid => StatusCodes.Status400BadRequest,
            RefusalKind.Conflict => StatusCodes.Status409Conflict,
            RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
            RefusalKind.NotFound => StatusCodes.Status404NotFound,
            RefusalKind.TooManyAttempts => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status400BadRequest,
        };
        var problem = new ProblemDetails
        {
            Status = status,
            Title = refusal.Kind switch
            {
                RefusalKind.Conflict => "The request conflicts with the current state.",
                RefusalKind.Forbidden => "Not allowed.",
                RefusalKind.NotFound => "Not found.",
                RefusalKind.TooManyAttempts => "Too many attempts.",
                _ => "The request is not valid.",
            },
            Detail = refusal.Message,
            Type = "https://control.invalid/problems/" + refusal.Code.Replace('.', '/'),
        };
        problem.Extensions["code"] = refusal.Code;
        return problem;
    }

    public static IResult ToResult(this ProblemDetails problem) =>
        Results.Problem(problem);

    /// <summary>A problem written straight to the response, for middleware and authentication handlers (outside endpoints).</summary>
    public static Task Write(HttpContext http, int status, string title, string detail, string? code = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }

        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
    }

    private static string ToCamelCase(string name) =>
        string.IsNullOrEmpty(name) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
