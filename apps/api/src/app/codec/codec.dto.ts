import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

/** A Temporal payload in proto3 JSON: metadata values and data are base64. */
export class CodecPayloadDto {
  @ApiProperty({
    description: 'Metadata entries, each value base64',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' },
  })
  @IsObject()
  metadata!: Record<string, string>;

  @ApiProperty({ description: 'The payload bytes, base64', required: false })
  @IsOptional()
  @IsString()
  @MaxLength(4 * 1024 * 1024)
  data?: string;
}

/** What the Temporal Web UI and CLI send to a remote codec (Temporal's codec-server protocol). */
export class CodecPayloadsDto {
  @ApiProperty({ description: 'The payloads to open or seal, in order', type: [CodecPayloadDto] })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CodecPayloadDto)
  payloads!: CodecPayloadDto[];
}
