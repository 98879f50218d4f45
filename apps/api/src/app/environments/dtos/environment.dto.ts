import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { DATABASE_ENGINES, DatabaseEngine, EnvironmentView } from '@sdo/persistence';
import { PagingQuery } from '../../infrastructure/paging';
import { IsNotBlank, IsOmittable } from '@sdo/catalog';

export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?|\[?[0-9A-Fa-f:.]+\]?)$/;

export class RegisterEnvironmentDto {
  @ApiProperty({ description: "The customer's ID (letters, digits, '.', '_', '-')", example: 'CUST-0042' })
  @Matches(CUSTOMER_ID_PATTERN, { message: "must be 1–64 letters, digits, '.', '_' or '-'" })
  customerId!: string;

  @ApiProperty({ description: 'Name people know the environment by, unique per customer', example: 'ERP production' })
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ description: 'Database engine', enum: DATABASE_ENGINES })
  @IsIn(DATABASE_ENGINES)
  engine!: DatabaseEngine;

  @ApiPropertyOptional({ description: 'Host name or IP address of the database server (not for sqlite)', example: 'erp-db.customer.internal' })
  @ValidateIf((o: RegisterEnvironmentDto) => o.engine !== 'sqlite' || o.host !== undefined)
  @IsString()
  @MaxLength(253)
  @Matches(HOST_PATTERN, { message: 'must be a host name or an IP address' })
  host?: string;

  @ApiPropertyOptional({ description: 'TCP port; the engine default (5432 / 3306) when absent', minimum: 1, maximum: 65535 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @ApiProperty({ description: 'Database name (for sqlite: a file in SDO_SQLITE_DIR, relative to it or absolute)', example: 'erp' })
  @IsString()
  @IsNotBlank()
  @MaxLength(255)
  database!: string;

  @ApiPropertyOptional({ description: 'User SDO connects as' })
  @IsOmittable()
  @IsString()
  @MaxLength(128)
  username?: string;

  @ApiPropertyOptional({ description: 'Password; stored encrypted and never returned or logged', format: 'password', writeOnly: true })
  @IsOmittable()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ description: 'Whether to connect with TLS', default: false })
  @IsOmittable()
  @IsBoolean()
  ssl?: boolean;
}

export class ListEnvironmentsQuery extends PagingQuery {
  @ApiPropertyOptional({ description: 'Only environments of this customer' })
  @IsOmittable()
  @Matches(CUSTOMER_ID_PATTERN, { message: "must be 1–64 letters, digits, '.', '_' or '-'" })
  customerId?: string;
}

/** An environment as the API shows it: everything but the password. */
export class EnvironmentViewDto implements EnvironmentView {
  @ApiProperty({ description: 'Environment ID', format: 'uuid' }) id!: string;
  @ApiProperty({ description: "The customer's ID" }) customerId!: string;
  @ApiProperty({ description: 'Name, unique per customer' }) name!: string;
  @ApiProperty({ description: 'Database engine', enum: DATABASE_ENGINES }) engine!: DatabaseEngine;
  @ApiProperty({ description: 'Database host', type: String, nullable: true }) host!: string | null;
  @ApiProperty({ description: 'Database port (null: engine default)', type: Number, nullable: true }) port!: number | null;
  @ApiProperty({ description: 'Database name or sqlite file path (as registered)' }) database!: string;
  @ApiProperty({ description: 'User SDO connects as', type: String, nullable: true }) username!: string | null;
  @ApiProperty({ description: 'Whether TLS is used' }) ssl!: boolean;
  @ApiProperty({ description: 'Whether a password is stored (it is never returned)' }) hasPassword!: boolean;
  @ApiProperty({ description: 'When it was registered', type: String, format: 'date-time' }) createdAt!: Date;
}

export class EnvironmentPageDto {
  @ApiProperty({ description: 'The environments of this page', type: [EnvironmentViewDto] }) items!: EnvironmentViewDto[];
  @ApiProperty({ description: 'How many environments match in all' }) total!: number;
  @ApiProperty({ description: 'Page size used' }) limit!: number;
  @ApiProperty({ description: 'Items skipped' }) offset!: number;
}

export class EnvironmentRightsDto {
  @ApiProperty({
    description: 'May create databases (rehearsal clones, scratch databases, cutover backups); null where SDO only reads (MySQL/MariaDB, SQLite)',
    type: Boolean,
    nullable: true,
  })
  createdb!: boolean | null;
  @ApiProperty({
    description: 'Owns the database, or is superuser: needed to copy it as a template (rehearsal clone, cutover backup); null where SDO only reads',
    type: Boolean,
    nullable: true,
  })
  ownsDatabase!: boolean | null;
  @ApiProperty({ description: 'Is a superuser' }) superuser!: boolean;
  @ApiProperty({ description: 'May SELECT every table of the database (what sources need)' }) selectAllTables!: boolean;
  @ApiProperty({ description: 'Tables in the database' }) tables!: number;
}

export class EnvironmentCheckDto {
  @ApiProperty({ description: 'Whether SDO could connect and log in' }) reachable!: boolean;
  @ApiProperty({ description: 'Database engine', enum: DATABASE_ENGINES }) engine!: DatabaseEngine;
  @ApiPropertyOptional({ description: "The server's version, when reachable", example: 'PostgreSQL 17.2' }) version?: string;
  @ApiPropertyOptional({ description: "The account's rights, when reachable", type: EnvironmentRightsDto }) rights?: EnvironmentRightsDto;
  @ApiProperty({ description: 'Rights some service needs that the account lacks', type: [String], example: ['CREATEDB', 'SELECT on public.orders'] })
  missing!: string[];
  @ApiPropertyOptional({ description: 'Why it is not reachable (refused, timed out, bad credentials, refused by the environment policy…)' }) problem?: string;
}
