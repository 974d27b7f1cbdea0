using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Infrastructure;

/// <summary>
/// Runs the request's FluentValidation validator before every endpoint whose request type has one (each command's nested
/// <c>Validator</c>, registered in DI), so that no endpoint validates by hand and every refusal has the same shape.
/// </summary>
public sealed class RequestValidationPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HasRequestType))
        {
            if (!container.HasRegistrationFor(typeof(IValidator<>).MakeGenericType(chain.RequestType!)))
            {
                continue;
            }

            // Wolverine stops the chain when a middleware's ProblemDetails is not WolverineContinue.NoProblems, and writes it.
            var method = typeof(RequestValidation).GetMethods().Single(m => m.Name == nameof(RequestValidation.Run) && m.IsGenericMethodDefinition).MakeGenericMethod(chain.RequestType!);
            chain.Middleware.Insert(0, new MethodCall(typeof(RequestValidation), method) { CommentText = "The request's FluentValidation validator" });
            chain.Metadata.ProducesValidationProblem();
        }
    }
}

public static class RequestValidation
{
    public static async Task<ProblemDetails> Run<T>(IValidator<T> validator, T request, CancellationToken cancellation)
    {
        if (request is null)
        {
            return Problems.BadRequest("A JSON body is required.");
        }

        var result = await validator.ValidateAsync(request, cancellation);
        return result.IsValid ? WolverineContinue.NoProblems : Problems.Invalid(result.Errors);
    }

    /// <summary>For a request built inside an endpoint (e.g. each action of a bulk change): its type's validator, if it has one.</summary>
    public static async Task<ProblemDetails> Run(IServiceProvider services, object request, CancellationToken cancellation)
    {
        if (services.GetService(typeof(IValidator<>).MakeGenericType(request.GetType())) is not IValidator validator)
        {
            return WolverineContinue.NoProblems;
        }

        var result = await validator.ValidateAsync(new ValidationContext<object>(request), cancellation);
        return result.IsValid ? WolverineContinue.NoProblems : Problems.Invalid(result.Errors);
    }
}
