import { DataSource, Repository } from 'typeorm';
import { DataArtifactEntity } from '../entities/data-artifact.entity';

/** The app database's home for data-engine artefacts (satisfies the engine's `DataReportStore`). */
export class DataArtifactStore {
  private readonly repo: Repository<DataArtifactEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(DataArtifactEntity);
  }

  async save(jobId: string, kind: string, body: unknown): Promise<string> {
    return (await this.repo.save(this.repo.create({ jobId, kind, body }))).id;
  }

  async load<T>(id: string): Promise<T | null> {
    return ((await this.repo.findOneBy({ id }))?.body as T | undefined) ?? null;
  }
}
