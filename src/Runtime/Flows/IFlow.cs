namespace OdeDsl;

/// <summary>
/// A continuous normalizing flow (FFJORD; Grathwohl et al., ICLR 2019): dz/dt = f(t, z) on one vector state z, whose
/// density follows d(log p)/dt = −tr(∂f/∂z). Models declared with <c>flow</c> implement it; <see cref="Cnf"/> takes
/// it.
/// </summary>
public interface IFlow : IHasDivergence
{
}
