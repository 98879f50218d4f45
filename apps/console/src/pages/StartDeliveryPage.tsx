import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useCatalog } from '../api/catalog';
import { api, must, type Schemas, type Session } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { hrefOf } from '../router';
import { isSkippedWallClock, TIME_ZONES, wallClockIn, zonedInstant } from '../time';
import { Problem, SkippedWallClock } from './common';
import { fieldKind, type OpenApiDocument, parameterSchemaOf, parametersFrom, resolveSchema } from './schema-form';

type Environment = Schemas['EnvironmentViewDto'];
type UpgradePackage = Schemas['UpgradePackageViewDto'];

export function StartDeliveryPage({ session }: { session: Session }) {
  const { t } = useI18n();
  const [doc, setDoc] = useState<OpenApiDocument | null>(null);
  const [environments, setEnvironments] = useState<Environment[]>([]);
  const [packages, setPackages] = useState<UpgradePackage[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const catalog = useCatalog(setProblem);
  const services = catalog.services.filter((s) => s.automated);
  const [busy, setBusy] = useState(false);
  // One key per form: a double click or a retry of this form cannot start a second delivery.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [serviceType, setServiceType] = useState('');
  const [customerId, setCustomerId] = useState(session.customerId ?? '');
  const [orderNo, setOrderNo] = useState('');
  const [contractRef, setContractRef] = useState('');
  const [roles, setRoles] = useState<Record<string, string>>({});
  const [values, setValues] = useState<Record<string, string>>({});
  const [timeZone, setTimeZone] = useState(TIME_ZONES[0]!);
  const [startsAt, setStartsAt] = useState(() => wallClockIn(new Date(Date.now() + 7 * 86_400_000).toISOString(), TIME_ZONES[0]!));
  const [duration, setDuration] = useState('240');

  useEffect(() => {
    // /docs-json is public: the parameter schemas come from the same document the types were generated from.
    fetch('/docs-json')
      .then((r) => r.json() as Promise<OpenApiDocument>)
      .then(setDoc, setProblem);
    must(api.GET('/v1/upgrade-packages', { params: { query: { limit: 100 } } })).then(
      (p) => setPackages(p.items),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    const query = customerId.trim() ? { customerId: customerId.trim(), limit: 100 } : { limit: 100 };
    must(api.GET('/v1/environments', { params: { query } })).then(
      (p) => setEnvironments(p.items),
      () => undefined,
    );
  }, [customerId]);

  const service = services.find((s) => s.code === serviceType);
  const skipped = isSkippedWallClock(startsAt, timeZone);
  const schema = useMemo(() => (doc && serviceType ? parameterSchemaOf(doc, serviceType) : null), [doc, serviceType]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!doc || !schema || busy || skipped) return;
    setBusy(true);
    setProblem(null);
    try {
      const body = {
        serviceType,
        customerId: customerId.trim(),
        orderNo: orderNo.trim(),
        environments: roles,
        parameters: parametersFrom(doc, schema, values),
        ...(contractRef.trim() ? { contractRef: contractRef.trim() } : {}),
        customerTimeZone: timeZone,
        cutoverWindow: { startsAt: zonedInstant(startsAt, timeZone), durationMinutes: Number(duration) },
      } as Schemas['StartDeliveryDto'];
      const started = await must(api.POST('/v1/deliveries', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body }));
      window.location.hash = hrefOf({ page: 'delivery', id: started.id });
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{t('startDelivery')}</h1>
      <form className="card start" onSubmit={(e) => void submit(e)} aria-label={t('startDelivery')}>
        <label>
          {t('service')}
          <select required value={serviceType} onChange={(e) => (setServiceType(e.target.value), setValues({}), setRoles({}))}>
            <option value="">{t('choose')}</option>
            {services.map((s) => (
              <option key={s.code} value={s.code}>
                {catalog.serviceName(s.code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('customer')}
          <input required value={customerId} disabled={Boolean(session.customerId)} onChange={(e) => setCustomerId(e.target.value)} />
        </label>
        <label>
          {t('customerTimeZone')}
          <select value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
            {TIME_ZONES.map((z) => (
              <option key={z}>{z}</option>
            ))}
          </select>
        </label>
        <label>
          {t('orderNo')}
          <input required value={orderNo} onChange={(e) => setOrderNo(e.target.value)} />
        </label>
        <label>
          {t('contractRef')}
          <input value={contractRef} onChange={(e) => setContractRef(e.target.value)} />
        </label>
        {service?.environmentRoles.map((r) => (
          <label key={r.role}>
            {t('environment', { role: r.role })}
            <select required value={roles[r.role] ?? ''} onChange={(e) => setRoles({ ...roles, [r.role]: e.target.value })}>
              <option value="">{t('choose')}</option>
              {environments
                .filter((env) => r.engines.includes(env.engine))
                .map((env) => (
                  <option key={env.id} value={env.id}>
                    {env.name} ({env.engine}, {env.customerId})
                  </option>
                ))}
            </select>
            <span className="hint">{r.description}</span>
          </label>
        ))}
        {doc && schema && (
          <fieldset>
            <legend>{t('parameters')}</legend>
            {Object.entries(schema.properties ?? {}).map(([name, raw]) => {
              const field = resolveSchema(doc, raw);
              const kind = fieldKind(doc, raw);
              const required = schema.required?.includes(name) ?? false;
              const value = values[name] ?? '';
              const set = (v: string) => setValues({ ...values, [name]: v });
              const label = `${name}${required ? ' *' : ''}`;
              return (
                <label key={name}>
                  {label}
                  {kind === 'enum' ? (
                    <select required={required} value={value} onChange={(e) => set(e.target.value)}>
                      <option value="">{t('choose')}</option>
                      {field.enum!.map((v) => (
                        <option key={String(v)}>{String(v)}</option>
                      ))}
                    </select>
                  ) : kind === 'upgradePackage' ? (
                    <select required={required} value={value} onChange={(e) => set(e.target.value)}>
                      <option value="">{t('choose')}</option>
                      {packages.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name} ({p.product} → {p.targetVersion})
                        </option>
                      ))}
                    </select>
                  ) : kind === 'boolean' ? (
                    <select value={value} onChange={(e) => set(e.target.value)}>
                      <option value="" />
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </select>
                  ) : kind === 'json' ? (
                    <textarea
                      required={required}
                      value={value}
                      placeholder={field.example === undefined ? t('jsonHint') : JSON.stringify(field.example)}
                      onChange={(e) => set(e.target.value)}
                    />
                  ) : (
                    <input type={kind === 'number' ? 'number' : 'text'} required={required} value={value} onChange={(e) => set(e.target.value)} />
                  )}
                  {field.description && <span className="hint">{field.description}</span>}
                </label>
              );
            })}
          </fieldset>
        )}
        <fieldset>
          <legend>{t('cutoverWindow')}</legend>
          <label>
            {t('startsAt')}
            <input type="datetime-local" required value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
            <span className="hint">{t('inTimeZone', { zone: timeZone })}</span>
          </label>
          {skipped && <SkippedWallClock wallClock={startsAt} timeZone={timeZone} />}
          <label>
            {t('durationMinutes')}
            <input type="number" min={1} max={10080} required value={duration} onChange={(e) => setDuration(e.target.value)} />
          </label>
        </fieldset>
        <button type="submit" disabled={busy || !schema || skipped}>
          {t('start')}
        </button>
        <Problem problem={problem} />
      </form>
    </section>
  );
}
