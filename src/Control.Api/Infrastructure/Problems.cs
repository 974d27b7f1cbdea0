using Control.Domain.Common;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Infrastructure;

/// <summary>RFC 9457 problem details for validation failures and domain refusals.</summary>
public static class Problems
{
    /// <summary>Runs the validator; <see cref="WolverineContinue.NoProblems"/> lets the endpoint continue.</summary>
    /// <param name="more">Further field errors from checks outside the validator (e.g. the password policy), reported together.</param>
    public static ProblemDetails Validate<T>(IValidator<T> validator, T request, params (string Field, string? Message)[] more)
    {
        if (request is null)
        {
            return BadRequest("A JSON body is required.");
        }

        ValidationResult result = validator.Validate(request);
        var extra = more.Where(m => m.Message is not null).ToList();
        if (result.IsValid && extra.Count == 0)
        {
            return WolverineContinue.NoProblems;
        }

        var errors = result.Errors
            .Select(e => (Field: ToCamelCase(e.PropertyName), Message: e.ErrorMessage))
            .Concat(extra.Select(m => (m.Field, Message: m.Message!)))
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());
        return new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Type = "https://control.invalid/problems/validation",
        };
    }

    /// <summary>A 400 with one field error, shaped like the validator's.</summary>
    public static ProblemDetails Field(string field, string message) =>
        new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Type = "https://control.invalid/problems/validation",
        };

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
