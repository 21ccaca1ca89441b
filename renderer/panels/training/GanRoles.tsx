import { useShallow } from 'zustand/react/shallow';
import { useGan } from '../../stores/gan';
import { setTraining, useGraphStore } from '../../stores/graphStore';
import { useInference } from '../../stores/inference';

type Role = 'generatorInput' | 'discriminatorInput';

const ROLE_LABELS: Record<Role, string> = { generatorInput: 'Generator starts at', discriminatorInput: 'Discriminator starts at' };

/** For a GAN: which Input begins the generator and which the discriminator (saved in the project). */
export function GanRoles() {
  const gan = useGan();
  const inputIds = useInference().inputIds;
  const names = useGraphStore(useShallow((s) => inputIds.map((id) => s.graph.nodes.find((n) => n.id === id)?.name ?? id)));
  const roles = useGraphStore((s) => s.meta.training.gan);
  if (!gan || inputIds.length < 2) return null;
  // Without saved roles, show the ones splitGan found by itself.
  const current = roles ?? (gan.split.ok ? { generatorInput: gan.split.generator.input, discriminatorInput: gan.split.discriminator.input } : null);
  const choose = (role: Role, id: string) => {
    const other: Role = role === 'generatorInput' ? 'discriminatorInput' : 'generatorInput';
    const otherId = current && current[other] !== id ? current[other] : (inputIds.find((i) => i !== id) ?? id);
    setTraining({ gan: role === 'generatorInput' ? { generatorInput: id, discriminatorInput: otherId } : { generatorInput: otherId, discriminatorInput: id } });
  };
  return (
    <fieldset className="setting-group gan-roles">
      <legend>GAN</legend>
      {(Object.keys(ROLE_LABELS) as Role[]).map((role) => (
        <div className="setting" key={role}>
          <label htmlFor={`setting-${role}`}>{ROLE_LABELS[role]}</label>
          <select id={`setting-${role}`} data-testid={`gan-${role}`} value={current?.[role] ?? ''} onChange={(e) => choose(role, e.target.value)}>
            {!current && <option value="">Choose an Input…</option>}
            {inputIds.map((id, i) => (
              <option key={id} value={id}>
                {names[i]}
              </option>
            ))}
          </select>
        </div>
      ))}
      {roles && (
        <button className="link-button" onClick={() => setTraining({ gan: undefined })}>
          Find the roles automatically
        </button>
      )}
    </fieldset>
  );
}
