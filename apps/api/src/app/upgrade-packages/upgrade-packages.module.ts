import { Module } from '@nestjs/common';
import { UpgradePackagesController } from './upgrade-packages.controller';
import { UpgradePackagesService } from './upgrade-packages.service';

@Module({
  controllers: [UpgradePackagesController],
  providers: [UpgradePackagesService],
})
export class UpgradePackagesModule {}
