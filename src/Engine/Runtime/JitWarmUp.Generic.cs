using System.Reflection;
using System.Runtime.CompilerServices;

namespace UpbitHft.Engine.Runtime;

/// <summary>
/// The generic code a first order still compiled after the non-generic warm-up (<c>DOTNET_JitDisasmSummary</c> on a
/// fresh live run): the async machinery instantiated over each of the trading path's state machines (the builder's
/// <c>Start</c>, <c>GetStateMachineBox</c>, <c>AwaitUnsafeOnCompleted</c> per awaiter, and the box's
/// <c>MoveNext</c>, <c>ExecutionContextCallback</c>, static constructor), and the collections over value types the
/// trading path keeps in its fields (<c>ConcurrentDictionary&lt;long, …&gt;</c>, <c>Dictionary&lt;long, (decimal,
/// decimal, decimal)&gt;</c>). Each is prepared with its exact instantiation. The builder internals are found by
/// reflection over the runtime's own types: on a runtime where they are named otherwise, they are skipped (counted),
/// and compiled on first use as before.
/// </summary>
public static partial class JitWarmUp
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Type? s_builderCore = typeof(AsyncTaskMethodBuilder).Assembly.GetType("System.Runtime.CompilerServices.AsyncMethodBuilderCore");
    private static readonly Type? s_voidResult = typeof(Task).Assembly.GetType("System.Threading.Tasks.VoidTaskResult");

    /// <summary>The async builders' code instantiated over state machine <paramref name="stateMachine"/> (a struct the compiler made).</summary>
    internal static void PrepareAsyncMachinery(Type stateMachine, ref int compiled, ref int skipped)
    {
        if (!stateMachine.IsValueType || !typeof(IAsyncStateMachine).IsAssignableFrom(stateMachine)
            || stateMachine.GetField("<>t__builder", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.FieldType is not { } builder)
        {
            return;
        }

        // The awaiters it stores while suspended: one field per awaiter type.
        var awaiters = stateMachine.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => f.Name.StartsWith("<>u__", StringComparison.Ordinal)).Select(f => f.FieldType).Distinct().ToArray();

        // AsyncTaskMethodBuilder and AsyncValueTaskMethodBuilder do their work in AsyncTaskMethodBuilder<TResult>.
        var resultType = builder.IsGenericType ? builder.GetGenericArguments()[0] : s_voidResult;
        var taskBuilder = resultType is null ? null : typeof(AsyncTaskMethodBuilder<>).MakeGenericType(resultType);
        foreach (var host in new[] { s_builderCore, builder, taskBuilder }.OfType<Type>().Distinct())
        {
            foreach (var method in host.GetMethods(Declared).Where(m => m.IsGenericMethodDefinition))
            {
                var arity = method.GetGenericArguments().Length;
                var instantiations = arity switch
                {
                    1 => awaiters.Prepend(stateMachine).Select(t => new[] { t }),
                    2 => awaiters.Select(a => new[] { a, stateMachine }),
                    _ => [],
                };

                foreach (var arguments in instantiations)
                {
                    MethodInfo closed;
                    try
                    {
                        closed = method.MakeGenericMethod(arguments);
                    }
                    catch (ArgumentException)
                    {
                        continue; // a constraint rules this pairing out: no code exists for it
                    }

                    PrepareInstantiated(closed, host.GetGenericArguments().Concat(arguments), ref compiled, ref skipped);
                }
            }

            // The box a suspended method lives in: a nested type over the builder's arguments and the state machine.
            foreach (var nested in host.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).Where(t => t.IsGenericTypeDefinition))
            {
                var arguments = host.GetGenericArguments().Append(stateMachine).ToArray();
                if (nested.GetGenericArguments().Length == arguments.Length && TryClose(nested, arguments, out var box))
                {
                    PrepareAll(box, arguments, ref compiled, ref skipped);
                }
            }
        }
    }

    /// <summary>The declared methods of <paramref name="type"/>'s fields that are generic collections closed over the types they hold.</summary>
    private static void PrepareFieldCollections(Type type, ref int compiled, ref int skipped)
    {
        foreach (var field in type.GetFields(Declared))
        {
            var t = field.FieldType;
            if (t.IsGenericType && !t.ContainsGenericParameters
                && t.Namespace is "System.Collections.Generic" or "System.Collections.Concurrent")
            {
                PrepareAll(t, t.GetGenericArguments(), ref compiled, ref skipped);
            }
        }
    }

    private static void PrepareAll(Type closedType, Type[] typeArguments, ref int compiled, ref int skipped)
    {
        var methods = closedType.GetMethods(Declared).Cast<MethodBase>().Concat(closedType.GetConstructors(Declared));
        if (closedType.TypeInitializer is { } initializer)
        {
            methods = methods.Append(initializer);
        }

        foreach (var method in methods)
        {
            if (!method.IsAbstract && !method.ContainsGenericParameters)
            {
                PrepareInstantiated(method, typeArguments, ref compiled, ref skipped);
            }
        }
    }

    private static void PrepareInstantiated(MethodBase method, IEnumerable<Type> instantiation, ref int compiled, ref int skipped)
    {
        try
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle, instantiation.Select(t => t.TypeHandle).ToArray());
            compiled++;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            skipped++; // compiled on its first call instead
        }
    }

    private static bool TryClose(Type definition, Type[] arguments, out Type closed)
    {
        try
        {
            closed = definition.MakeGenericType(arguments);
            return true;
        }
        catch (ArgumentException)
        {
            closed = definition;
            return false;
        }
    }
}
