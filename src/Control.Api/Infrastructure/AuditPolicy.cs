using System.Reflection;
using Control.Api.Auth;
using Control.Domain.Contracts;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Marten;
using Wolverine.Http;

namespace Control.Api.Infrastructure;

/// <summary>
/// The reason recorded when the request gives none (or the request has no reason at all): e.g. a self-service change
/// whose audit entry should still say what it was.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AuditReasonAttribute(string? reason) : Attribute
{
    public string? Reason { get; } = reason;
}

/// <summary>
/// Sets the audit envelope (<see cref="AuditMetadata"/>: the signed-in operator, the reason, the correlation id, the
/// source address) on the endpoint's document session, once, for every endpoint whose request says why
/// (<see cref="IReasonedRequest"/>) or that names a reason with <see cref="AuditReasonAttribute"/>. Flows where the actor
/// is not the signed-in operator (sign-in, activation, setup, agents) call <see cref="AuditMetadata.RecordAs"/> themselves.
/// </summary>
public sealed class AuditPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var fallback = chain.Method.Method.GetCustomAttribute<AuditReasonAttribute>();
            var reasoned = chain.HasRequestType && chain.RequestType!.IsAssignableTo(typeof(IReasonedRequest));
            if (!reasoned && fallback is null)
            {
                continue;
            }

            var method = (reasoned, fallback?.Reason) switch
            {
                (true, null) => typeof(AuditMetadata).GetMethod(nameof(AuditMetadata.RecordRequest))!.MakeGenericMethod(chain.RequestType!),
                (true, _) => typeof(AuditMetadata).GetMethod(nameof(AuditMetadata.RecordRequestOr))!.MakeGenericMethod(chain.RequestType!),
                _ => typeof(AuditMetadata).GetMethod(nameof(AuditMetadata.RecordSignedIn))!,
            };
            var call = new MethodCall(typeof(AuditMetadata), method) { CommentText = "Who, why and the correlation id of every event appended" };
            if (fallback?.Reason is { } reason)
            {
                call.Arguments[^1] = new Value(reason);
            }

            chain.Middleware.Add(call);
        }
    }
}
