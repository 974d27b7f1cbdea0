using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Control.Api.Infrastructure;

/// <summary>
/// Turns the few expected exceptions into problem details (a stale write is a 409, a malformed body a 400) and
/// everything else into a bare 500 with no detail: no stack trace or secret reaches a caller.
/// </summary>
public sealed class ExceptionMapping(IProblemDetailsService problems, ILogger<ExceptionMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            _ when IsUniqueViolation(exception) =>
                (StatusCodes.Status409Conflict, "The resource already exists.", "Something with the same unique name was created at the same time."),
            ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException
                or DocumentAlreadyExistsException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException =>
                (StatusCodes.Status409Conflict, "The resource was changed by someone else.", "Reload it and try again with the version you see."),
            BadHttpRequestException or System.Text.Json.JsonException =>
                (StatusCodes.Status400BadRequest, "The request is not valid.", "The body is not valid JSON for this endpoint."),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong on the server.", (string?)null),
        };

        if (status == StatusCodes.Status500InternalServerError)
        {
            // Exception messages from the stack never carry request bodies, so they are safe to log.
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["traceId"] = httpContext.TraceIdentifier;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = null });
    }

    private static bool IsUniqueViolation(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                return true;
            }
        }

        return false;
    }
}
