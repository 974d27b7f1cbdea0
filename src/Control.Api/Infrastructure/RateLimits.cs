using System.Globalization;
using System.Threading.RateLimiting;
using Control.Api.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Control.Api.Infrastructure;

/// <summary>Per-source-address limits for anonymous authentication endpoints (on top of per-account lockout).</summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";

    public static void Configure(RateLimiterOptions options, ControlOptions control)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.AddPolicy(SignIn, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = control.SignInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        options.OnRejected = async (context, cancellation) =>
        {
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            await context.HttpContext.Response.WriteAsJsonAsync(
                new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many attempts.",
                    Detail = "Too many sign-in or code attempts from your address. Wait a minute and try again.",
                },
                options: null, contentType: "application/problem+json", cancellationToken: cancellation);
        };
    }
}
