using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Wolverine.Attributes;
using Wolverine.Configuration;
using Wolverine.Http;
using Wolverine.Middleware;

namespace Control.Api.Infrastructure;

/// <summary>
/// Marks an endpoint's <c>IEventStream&lt;T&gt;</c> parameter: before the endpoint runs, Wolverine calls the
/// <paramref name="loader"/>'s <c>Load</c> (which finds the aggregate the route names, answers 404 problem details when
/// there is none, and fetches its stream for writing at the version the request expects, so that a stale write fails as
/// a 409), and passes the stream in. The endpoint decides and appends; Wolverine's transaction middleware saves.
/// </summary>
/// <remarks>
/// Wolverine's own <c>[WriteAggregate]</c> takes the stream id from a route value or request member as is; Control's
/// routes name clients by number or alias as well, its expected versions are optional, and a missing aggregate must be
/// Control's 404 problem details: hence this small equivalent.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter)]
public abstract class WriteStreamAttribute(Type loader, string? route) : WolverineParameterAttribute
{
    public override Variable Modify(IChain chain, ParameterInfo parameter, IServiceContainer container, GenerationRules rules)
    {
        var http = (HttpChain)chain;
        var method = loader.GetMethod("Load", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{loader.Name} has no public static Load method.");
        if (method.IsGenericMethodDefinition)
        {
            method = method.MakeGenericMethod(http.RequestType
                ?? throw new InvalidOperationException($"{chain.Description}: {GetType().Name} needs a request body (it carries the expected version)."));
        }

        var call = new MethodCall(loader, method) { CommentText = $"Load the {parameter.Name} for writing" };
        if (route is not null)
        {
            var key = method.GetParameters().Single(p => p.Name == "key");
            if (!http.TryFindVariable(route, ValueSource.RouteValue, key.ParameterType, out var value))
            {
                throw new InvalidOperationException($"{chain.Description}: no route value {{{route}}} for {GetType().Name}.");
            }

            call.Arguments[key.Position] = value;
        }

        chain.Middleware.Add(call);
        if (rules.TryFindContinuationHandler(chain, call, out var stop) && stop is not null)
        {
            chain.Middleware.Add(stop);
        }

        return call.Creates.Single(v => v.VariableType == parameter.ParameterType);
    }
}
